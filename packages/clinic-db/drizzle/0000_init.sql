CREATE TABLE `claim_status_history` (
	`claim_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`webhook_id` text,
	`occurred_at` text NOT NULL,
	`applied_at` text NOT NULL,
	PRIMARY KEY(`claim_id`, `version`),
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `claims` (
	`id` text PRIMARY KEY NOT NULL,
	`clinic_reference` text NOT NULL,
	`patient_ref` text,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`total_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`approved_amount` integer,
	`paid_amount` integer,
	`reason_codes` text DEFAULT '[]' NOT NULL,
	`payment_reference` text,
	`decision_due_at` text NOT NULL,
	`submitted_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `endpoint_registration` (
	`endpoint_id` text PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`url` text NOT NULL,
	`registered_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbox` (
	`webhook_id` text PRIMARY KEY NOT NULL,
	`event_type` text NOT NULL,
	`claim_id` text NOT NULL,
	`version` integer NOT NULL,
	`body` text NOT NULL,
	`webhook_timestamp` integer NOT NULL,
	`webhook_signature` text NOT NULL,
	`received_at` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`processed_at` text,
	`error` text,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `inbox_pending_idx` ON `inbox` (`state`,`claim_id`,`version`);--> statement-breakpoint
CREATE TABLE `patient_notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` text NOT NULL,
	`version` integer NOT NULL,
	`channel` text NOT NULL,
	`message` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patient_notifications_claim_version` ON `patient_notifications` (`claim_id`,`version`);