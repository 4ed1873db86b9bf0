CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_id` text NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`attempt_number` integer NOT NULL,
	`started_at` text NOT NULL,
	`duration_ms` real NOT NULL,
	`outcome` text NOT NULL,
	`status_code` integer,
	`error` text,
	`next_attempt_at` text,
	FOREIGN KEY (`delivery_id`) REFERENCES `deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attempts_delivery_idx` ON `attempts` (`delivery_id`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_id` text NOT NULL,
	`clinic_reference` text NOT NULL,
	`patient_ref` text NOT NULL,
	`policy_number` text NOT NULL,
	`currency` text NOT NULL,
	`service_lines` text NOT NULL,
	`total_amount` integer NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`submitted_at` text NOT NULL,
	`decision_due_at` text NOT NULL,
	`decided_at` text,
	`approved_amount` integer,
	`reason_codes` text NOT NULL,
	`payment_reference` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_clinic_reference_unique` ON `claims` (`clinic_id`,`clinic_reference`);--> statement-breakpoint
CREATE INDEX `claims_status_deadline_idx` ON `claims` (`status`,`decision_due_at`);--> statement-breakpoint
CREATE TABLE `clinics` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`status` text NOT NULL,
	`attempt_count` integer NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`next_attempt_at` text,
	`delivered_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_event_endpoint_unique` ON `deliveries` (`event_id`,`endpoint_id`);--> statement-breakpoint
CREATE TABLE `endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_id` text NOT NULL,
	`url` text NOT NULL,
	`event_types` text NOT NULL,
	`description` text NOT NULL,
	`secret` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`clinic_id`) REFERENCES `clinics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `endpoints_clinic_idx` ON `endpoints` (`clinic_id`);--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`clinic_id` text NOT NULL,
	`claim_id` text NOT NULL,
	`type` text NOT NULL,
	`version` integer NOT NULL,
	`payload` text NOT NULL,
	`committed_at` text NOT NULL,
	`published_at` text,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_id_unique` ON `events` (`id`);--> statement-breakpoint
CREATE INDEX `events_unpublished_idx` ON `events` (`seq`) WHERE "events"."published_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `events_claim_version_unique` ON `events` (`claim_id`,`version`);