ALTER TABLE "incidents" ADD COLUMN "personal_data_erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "health_data_erased_at" timestamp with time zone;