ALTER TABLE "follow_ups" ADD COLUMN "latest" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Existing rows: every follow-up but each victim's latest (by occurred_at, then id) is superseded.
UPDATE "follow_ups" f SET "latest" = false WHERE EXISTS (SELECT 1 FROM "follow_ups" g WHERE g."victim_id" = f."victim_id" AND (g."occurred_at", g."id") > (f."occurred_at", f."id"));--> statement-breakpoint
CREATE INDEX "follow_ups_queue_idx" ON "follow_ups" USING btree ("force_id","next_follow_up_at","id") WHERE latest and next_follow_up_at is not null;