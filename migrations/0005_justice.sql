CREATE TABLE "justice_cases" (
	"incident_id" uuid PRIMARY KEY NOT NULL,
	"force_id" uuid NOT NULL,
	"status" text NOT NULL,
	"outcome_scheme" text,
	"outcome_code" integer,
	"charged_at" timestamp with time zone,
	"result_at" timestamp with time zone,
	"convicted" integer DEFAULT 0 NOT NULL,
	"out_of_court" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "justice_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"suspect_id" uuid,
	"victim_id" uuid,
	"data" jsonb NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outcome_codes" (
	"scheme" text NOT NULL,
	"code" integer NOT NULL,
	"label" text NOT NULL,
	"outcome_group" text NOT NULL,
	"valid_from" date NOT NULL,
	CONSTRAINT "outcome_codes_scheme_code_pk" PRIMARY KEY("scheme","code")
);
--> statement-breakpoint
CREATE TABLE "victim_notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"victim_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"decision_type" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"working_days" integer NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"told_at" timestamp with time zone,
	"told_event_id" uuid
);
--> statement-breakpoint
ALTER TABLE "justice_cases" ADD CONSTRAINT "justice_cases_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "justice_cases" ADD CONSTRAINT "justice_cases_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "justice_events" ADD CONSTRAINT "justice_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "justice_events" ADD CONSTRAINT "justice_events_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_notifications" ADD CONSTRAINT "victim_notifications_event_id_justice_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."justice_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_notifications" ADD CONSTRAINT "victim_notifications_victim_id_victims_id_fk" FOREIGN KEY ("victim_id") REFERENCES "public"."victims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_notifications" ADD CONSTRAINT "victim_notifications_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victim_notifications" ADD CONSTRAINT "victim_notifications_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "justice_cases_force_status_idx" ON "justice_cases" USING btree ("force_id","status");--> statement-breakpoint
CREATE INDEX "justice_events_incident_idx" ON "justice_events" USING btree ("incident_id","occurred_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "victim_notifications_event_victim_uq" ON "victim_notifications" USING btree ("event_id","victim_id");--> statement-breakpoint
CREATE INDEX "victim_notifications_open_idx" ON "victim_notifications" USING btree ("force_id","deadline_at","id") WHERE told_at is null;--> statement-breakpoint
CREATE INDEX "victim_notifications_incident_idx" ON "victim_notifications" USING btree ("incident_id");