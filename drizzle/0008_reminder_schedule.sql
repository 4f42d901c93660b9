ALTER TABLE `cases` ADD `remind_at` text;--> statement-breakpoint
CREATE INDEX `cases_remind_at` ON `cases` (`remind_at`,`agency_id`,`case_id`) WHERE remind_at IS NOT NULL;--> statement-breakpoint
-- Hand-added: every open case (one with a running deadline: domain isOpen) is due a look by the first reminder pass after the upgrade, which then schedules its next one.
UPDATE `cases` SET `remind_at` = `updated_at` WHERE json_type(`state`, '$.deadline') IS NOT NULL;
