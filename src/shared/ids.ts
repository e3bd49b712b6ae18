// Ids are UUIDv7: time-ordered, generated in Node (PostgreSQL 15 has no uuidv7()).
export { v7 as newId } from 'uuid';
