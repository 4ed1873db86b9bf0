ALTER TABLE `endpoints` ADD `headers` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `endpoints` ADD `rate_limit_per_second` integer;