CREATE TABLE "force_headcounts" (
	"force_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"officers" integer NOT NULL,
	"constables" integer NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "force_headcounts_force_id_as_of_pk" PRIMARY KEY("force_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "forces" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"country" text NOT NULL,
	"kind" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forces_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "principals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"roles" text[] NOT NULL,
	"force_id" uuid,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	CONSTRAINT "principals_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"force_id" uuid NOT NULL,
	"force_reference" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"location" jsonb NOT NULL,
	"circumstances" text NOT NULL,
	"deployment" jsonb NOT NULL,
	"equipment" jsonb NOT NULL,
	"methods" text[] DEFAULT '{}'::text[] NOT NULL,
	"hate_aggravation" text[] DEFAULT '{}'::text[] NOT NULL,
	"offences" text[] DEFAULT '{}'::text[] NOT NULL,
	"narrative" text,
	"status" text NOT NULL,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suspects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"reference" text,
	"age_band" text NOT NULL,
	"arrested" boolean,
	"status" text NOT NULL,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "victims" (
	"id" uuid PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"force_id" uuid NOT NULL,
	"role" text NOT NULL,
	"service_band" text,
	"staff_number" text,
	"injury" text NOT NULL,
	"injury_detail" text,
	"hospital_treatment" text NOT NULL,
	"days_lost" integer,
	"safety_training_in_date" boolean,
	"protective_equipment" jsonb NOT NULL,
	"federation_consent" boolean DEFAULT false NOT NULL,
	"enhanced_rights" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"actor_roles" text[] NOT NULL,
	"actor_force_id" uuid,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" uuid,
	"force_id" uuid,
	"request_id" text NOT NULL,
	"reason" text,
	"changed_fields" text[],
	"seq" bigint,
	"prev_hash" text,
	"hash" text,
	"sealed_at" timestamp with time zone,
	CONSTRAINT "audit_events_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"principal_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response_body" jsonb,
	"response_headers" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_principal_id_key_pk" PRIMARY KEY("principal_id","key")
);
--> statement-breakpoint
ALTER TABLE "force_headcounts" ADD CONSTRAINT "force_headcounts_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "principals" ADD CONSTRAINT "principals_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspects" ADD CONSTRAINT "suspects_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspects" ADD CONSTRAINT "suspects_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victims" ADD CONSTRAINT "victims_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "victims" ADD CONSTRAINT "victims_force_id_forces_id_fk" FOREIGN KEY ("force_id") REFERENCES "public"."forces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "principals_force_created_idx" ON "principals" USING btree ("force_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_force_reference_uq" ON "incidents" USING btree ("force_id","force_reference");--> statement-breakpoint
CREATE INDEX "incidents_force_occurred_idx" ON "incidents" USING btree ("force_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "incidents_occurred_idx" ON "incidents" USING btree ("occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "suspects_incident_idx" ON "suspects" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "victims_incident_idx" ON "victims" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "victims_force_staff_idx" ON "victims" USING btree ("force_id","staff_number");--> statement-breakpoint
CREATE INDEX "audit_events_occurred_idx" ON "audit_events" USING btree ("occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_resource_idx" ON "audit_events" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "audit_events_force_idx" ON "audit_events" USING btree ("force_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idempotency_expires_idx" ON "idempotency_keys" USING btree ("expires_at");