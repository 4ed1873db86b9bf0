DROP INDEX `deliveries_sending_idx`;--> statement-breakpoint
DROP INDEX `deliveries_due_idx`;--> statement-breakpoint
CREATE INDEX `deliveries_in_flight_idx` ON `deliveries` (`endpoint_id`,`dispatched_at`) WHERE "deliveries"."status" = 'sending' and "deliveries"."next_attempt_at" is null;--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`next_attempt_at`) WHERE "deliveries"."next_attempt_at" is not null;--> statement-breakpoint
ALTER TABLE `deliveries` DROP COLUMN `task_seq`;--> statement-breakpoint
DROP INDEX `events_unpublished_idx`;--> statement-breakpoint
DROP INDEX `events_published_seq_idx`;--> statement-breakpoint
ALTER TABLE `events` DROP COLUMN `published_at`;--> statement-breakpoint
ALTER TABLE `events` DROP COLUMN `published_seq`;