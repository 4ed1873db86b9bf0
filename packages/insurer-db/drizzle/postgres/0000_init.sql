CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"name" text,
	"created_at" text NOT NULL,
	"revoked_at" text,
	"last_used_at" text
);
--> statement-breakpoint
CREATE TABLE "attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"trigger" text DEFAULT 'scheduled' NOT NULL,
	"started_at" text NOT NULL,
	"duration_ms" double precision NOT NULL,
	"outcome" text NOT NULL,
	"status_code" integer,
	"error_class" text,
	"error" text,
	"retry_after_ms" integer,
	"response_headers" json DEFAULT '{}'::json NOT NULL,
	"response_body" text,
	"next_attempt_at" text
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"clinic_reference" text NOT NULL,
	"patient_ref" text NOT NULL,
	"policy_number" text NOT NULL,
	"currency" text NOT NULL,
	"service_lines" json NOT NULL,
	"total_amount" integer NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"submitted_at" text NOT NULL,
	"decision_due_at" text NOT NULL,
	"decided_at" text,
	"approved_amount" integer,
	"reason_codes" json NOT NULL,
	"payment_reference" text,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clinics" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"status" text NOT NULL,
	"attempt_count" integer NOT NULL,
	"schedule_base" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error_class" text,
	"last_error" text,
	"next_attempt_at" text,
	"next_trigger" text DEFAULT 'scheduled' NOT NULL,
	"dispatched_at" text,
	"delivered_at" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"url" text NOT NULL,
	"event_types" json NOT NULL,
	"description" text NOT NULL,
	"secret" text NOT NULL,
	"signature_scheme" text DEFAULT 'hmac-sha256' NOT NULL,
	"retiring_secrets" json DEFAULT '[]'::json NOT NULL,
	"enabled" boolean NOT NULL,
	"disabled_reason" text,
	"disabled_at" text,
	"failing_since" text,
	"created_at" text NOT NULL,
	"headers" json DEFAULT '{}'::json NOT NULL,
	"rate_limit_per_second" integer
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" text NOT NULL,
	"clinic_id" text NOT NULL,
	"claim_id" text,
	"type" text NOT NULL,
	"version" integer,
	"payload" json NOT NULL,
	"committed_at" text NOT NULL,
	CONSTRAINT "events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" text NOT NULL,
	"procedure" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text NOT NULL,
	"response" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"tat" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_endpoint_id_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "endpoints" ADD CONSTRAINT "endpoints_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_unique" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "attempts_delivery_idx" ON "attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_clinic_reference_unique" ON "claims" USING btree ("clinic_id","clinic_reference");--> statement-breakpoint
CREATE INDEX "claims_status_deadline_idx" ON "claims" USING btree ("status","decision_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_event_endpoint_unique" ON "deliveries" USING btree ("event_id","endpoint_id");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "deliveries" USING btree ("next_attempt_at") WHERE "deliveries"."next_attempt_at" is not null;--> statement-breakpoint
CREATE INDEX "deliveries_in_flight_idx" ON "deliveries" USING btree ("endpoint_id","dispatched_at") WHERE "deliveries"."status" = 'sending' and "deliveries"."next_attempt_at" is null;--> statement-breakpoint
CREATE INDEX "deliveries_endpoint_idx" ON "deliveries" USING btree ("endpoint_id","status","created_at");--> statement-breakpoint
CREATE INDEX "deliveries_status_idx" ON "deliveries" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "endpoints_clinic_idx" ON "endpoints" USING btree ("clinic_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_claim_version_unique" ON "events" USING btree ("claim_id","version");--> statement-breakpoint
CREATE INDEX "events_clinic_seq_idx" ON "events" USING btree ("clinic_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_unique" ON "idempotency_keys" USING btree ("scope","procedure","key");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");