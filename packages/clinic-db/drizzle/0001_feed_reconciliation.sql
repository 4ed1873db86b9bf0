CREATE TABLE `feed_reconciliation` (
	`id` integer PRIMARY KEY NOT NULL,
	`cursor` text,
	`last_run_at` text,
	`last_run_fetched` integer DEFAULT 0 NOT NULL,
	`last_run_new` integer DEFAULT 0 NOT NULL,
	`last_run_error` text,
	`last_success_at` text
);
--> statement-breakpoint
ALTER TABLE `inbox` ADD `source` text DEFAULT 'webhook' NOT NULL;