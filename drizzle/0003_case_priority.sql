DROP INDEX `cases_agency_created`;--> statement-breakpoint
DROP INDEX `cases_status_created`;--> statement-breakpoint
ALTER TABLE `cases` ADD `priority` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_agency_priority_created` ON `cases` (`agency_id`,`priority`,`created_at`);--> statement-breakpoint
CREATE INDEX `cases_status_priority_created` ON `cases` (`status`,`priority`,`created_at`);--> statement-breakpoint
-- Hand-added (issue 11): copy the green-channel flag of existing cases, and give states stored with the old boolean flag the reason shape (true reads as OTHER).
UPDATE `cases` SET `priority` = 1 WHERE json_type(`state`, '$.flags.priority') IN ('true', 'object');--> statement-breakpoint
UPDATE `cases` SET `state` = json_set(`state`, '$.flags.priority', CASE WHEN json_type(`state`, '$.flags.priority') = 'true' THEN json('{"reasonCode":"OTHER"}') ELSE json('null') END) WHERE json_type(`state`, '$.flags.priority') IN ('true', 'false');
