// The care module's face to other modules: they reach care only through this file (eslint.config.js).
// Incidents create the plans of new victims and move due times when an incident's time is corrected; TRiM
// checks a victim the same way follow-ups do.
export { carePlanSteps, recomputeDueTimes } from './plans.ts';
export { carePlanSource, carePlanSourceSql, currentTemplateAndHolidays, type CarePlanSource } from './templates.ts';
export { visibleVictimRef } from './follow-ups.ts';
