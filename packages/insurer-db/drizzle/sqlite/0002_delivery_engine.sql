ALTER TABLE `attempts` ADD `trigger` text DEFAULT 'scheduled' NOT NULL;--> statement-breakpoint
ALTER TABLE `attempts` ADD `error_class` text;--> statement-breakpoint
ALTER TABLE `attempts` ADD `retry_after_ms` integer;--> statement-breakpoint
ALTER TABLE `attempts` ADD `response_headers` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `attempts` ADD `response_body` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `schedule_base` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `last_error_class` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `next_trigger` text DEFAULT 'scheduled' NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `dispatched_at` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `task_seq` integer;--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`next_attempt_at`) WHERE "deliveries"."status" = 'retrying';--> statement-breakpoint
CREATE INDEX `deliveries_sending_idx` ON `deliveries` (`dispatched_at`) WHERE "deliveries"."status" = 'sending';--> statement-breakpoint
CREATE INDEX `deliveries_endpoint_idx` ON `deliveries` (`endpoint_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `deliveries_status_idx` ON `deliveries` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `endpoints` ADD `signature_scheme` text DEFAULT 'hmac-sha256' NOT NULL;--> statement-breakpoint
ALTER TABLE `endpoints` ADD `retiring_secrets` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `endpoints` ADD `disabled_reason` text;--> statement-breakpoint
ALTER TABLE `endpoints` ADD `disabled_at` text;--> statement-breakpoint
ALTER TABLE `endpoints` ADD `failing_since` text;--> statement-breakpoint
ALTER TABLE `events` ADD `published_seq` integer;--> statement-breakpoint
CREATE INDEX `events_published_seq_idx` ON `events` (`published_seq`);