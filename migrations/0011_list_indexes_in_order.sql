DROP INDEX "incidents_force_occurred_idx";--> statement-breakpoint
DROP INDEX "incidents_occurred_idx";--> statement-breakpoint
DROP INDEX "audit_events_occurred_idx";--> statement-breakpoint
DROP INDEX "audit_events_force_idx";--> statement-breakpoint
DROP INDEX "follow_ups_victim_idx";--> statement-breakpoint
CREATE INDEX "follow_ups_force_victim_idx" ON "follow_ups" USING btree ("force_id","victim_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "incidents_force_occurred_idx" ON "incidents" USING btree ("force_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "incidents_occurred_idx" ON "incidents" USING btree ("occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_force_idx" ON "audit_events" USING btree ("force_id","occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "follow_ups_victim_idx" ON "follow_ups" USING btree ("victim_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);