CREATE TABLE "bank_holidays" (
	"region" text NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "bank_holidays_region_day_pk" PRIMARY KEY("region","day")
);
--> statement-breakpoint
CREATE TABLE "care_plan_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"force_id" uuid,
	"version" integer NOT NULL,
	"steps" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "care_steps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"victim_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"owner_role" text NOT NULL,
	"due" jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"note" text,
	"completed_at" timestamp with time zone,
	"completed_by" text,
	"history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"victim_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"contact_by" text NOT NULL,
	"note" text,
	"next_follow_up_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trim_assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"assessed_at" timestamp with time zone NOT NULL,
	"score" integer NOT NULL,
	"outcome" text NOT NULL,
	"note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trim_referrals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"victim_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"referred_at" timestamp with time zone NOT NULL,
	"referred_by" text NOT NULL,
	"consent" text NOT NULL,
	"status" text NOT NULL,
	"planning_meeting_due_at" timestamp with time zone NOT NULL,
	"planning_meeting_at" timestamp with time zone,
	"initial_assessment_due_at" timestamp with time zone NOT NULL,
	"initial_assessment_at" timestamp with time zone,
	"follow_up_due_at" timestamp with time zone NOT NULL,
	"follow_up_at" timestamp with time zone,
	"outcome" text,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"note" text,
	"history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "care_plan_templates" ADD CONSTRAINT "care_plan_templates_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_steps" ADD CONSTRAINT "care_steps_victim_id_victims_id_fk" FOREIGN KEY ("victim_id") REFERENCES "public"."victims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_steps" ADD CONSTRAINT "care_steps_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_steps" ADD CONSTRAINT "care_steps_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_steps" ADD CONSTRAINT "care_steps_template_id_care_plan_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."care_plan_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_victim_id_victims_id_fk" FOREIGN KEY ("victim_id") REFERENCES "public"."victims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trim_assessments" ADD CONSTRAINT "trim_assessments_referral_id_trim_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."trim_referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trim_assessments" ADD CONSTRAINT "trim_assessments_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trim_referrals" ADD CONSTRAINT "trim_referrals_victim_id_victims_id_fk" FOREIGN KEY ("victim_id") REFERENCES "public"."victims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trim_referrals" ADD CONSTRAINT "trim_referrals_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trim_referrals" ADD CONSTRAINT "trim_referrals_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "care_plan_templates_scope_version_uq" ON "care_plan_templates" USING btree (coalesce("force_id", '00000000-0000-0000-0000-000000000000'::uuid),"version");--> statement-breakpoint
CREATE UNIQUE INDEX "care_steps_victim_key_uq" ON "care_steps" USING btree ("victim_id","key");--> statement-breakpoint
CREATE INDEX "care_steps_queue_idx" ON "care_steps" USING btree ("force_id","due_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "follow_ups_victim_idx" ON "follow_ups" USING btree ("victim_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "trim_assessments_referral_idx" ON "trim_assessments" USING btree ("referral_id","assessed_at");--> statement-breakpoint
CREATE INDEX "trim_referrals_victim_idx" ON "trim_referrals" USING btree ("victim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trim_referrals_one_open_uq" ON "trim_referrals" USING btree ("victim_id") WHERE status = 'open';