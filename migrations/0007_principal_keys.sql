CREATE TABLE "principal_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"principal_id" uuid NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "principal_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
-- Each existing principal's key becomes its first key row (same id), before the columns go.
INSERT INTO "principal_keys" ("id", "principal_id", "key_hash", "key_prefix", "created_at", "revoked_at")
  SELECT "id", "id", "key_hash", "key_prefix", "created_at", NULL FROM "principals";--> statement-breakpoint
ALTER TABLE "principals" DROP CONSTRAINT "principals_key_hash_unique";--> statement-breakpoint
ALTER TABLE "principal_keys" ADD CONSTRAINT "principal_keys_principal_id_principals_id_fk" FOREIGN KEY ("principal_id") REFERENCES "public"."principals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "principal_keys_principal_idx" ON "principal_keys" USING btree ("principal_id");--> statement-breakpoint
ALTER TABLE "principals" DROP COLUMN "key_hash";--> statement-breakpoint
ALTER TABLE "principals" DROP COLUMN "key_prefix";