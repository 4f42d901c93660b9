ALTER TABLE `cases` ADD `remind_at` text;--> statement-breakpoint
CREATE INDEX `cases_remind_at` ON `cases` (`remind_at`,`agency_id`,`case_id`) WHERE remind_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_unscheduled` ON `cases` (`status`,`agency_id`,`case_id`) WHERE remind_at IS NULL;