PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`clinic_id` text NOT NULL,
	`claim_id` text,
	`type` text NOT NULL,
	`version` integer,
	`payload` text NOT NULL,
	`committed_at` text NOT NULL,
	`published_at` text,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_events`("seq", "id", "clinic_id", "claim_id", "type", "version", "payload", "committed_at", "published_at") SELECT "seq", "id", "clinic_id", "claim_id", "type", "version", "payload", "committed_at", "published_at" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `events_id_unique` ON `events` (`id`);--> statement-breakpoint
CREATE INDEX `events_unpublished_idx` ON `events` (`seq`) WHERE "events"."published_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `events_claim_version_unique` ON `events` (`claim_id`,`version`);