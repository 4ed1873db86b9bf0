ALTER TABLE `claims` ADD `patient_token` text;--> statement-breakpoint
CREATE UNIQUE INDEX `claims_patient_token` ON `claims` (`patient_token`);--> statement-breakpoint
ALTER TABLE `inbox` ADD `deliveries` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `inbox` ADD `last_delivered_at` text;--> statement-breakpoint
ALTER TABLE `inbox` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `inbox` ADD `retry_at` text;--> statement-breakpoint
-- Written by hand after drizzle-kit: claims stored before this migration get their patient link too.
UPDATE `claims` SET `patient_token` = lower(hex(randomblob(24))) WHERE `patient_token` IS NULL;--> statement-breakpoint
UPDATE `inbox` SET `deliveries` = 0 WHERE `source` = 'feed';--> statement-breakpoint
UPDATE `inbox` SET `last_delivered_at` = `received_at` WHERE `source` = 'webhook';
