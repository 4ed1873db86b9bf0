CREATE TABLE `patient_email_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` text NOT NULL,
	`version` integer NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`recipient` text NOT NULL,
	`language` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`lease_until` text,
	`last_error` text,
	`message_id` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_email_outbox_due_idx` ON `patient_email_outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `patient_email_outbox_claim_version_channel` ON `patient_email_outbox` (`claim_id`,`version`,`channel`);--> statement-breakpoint
ALTER TABLE `claims` ADD `patient_email` text;--> statement-breakpoint
ALTER TABLE `claims` ADD `patient_language` text;