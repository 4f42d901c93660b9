CREATE TABLE `report_templates` (
	`id` integer PRIMARY KEY NOT NULL,
	`template` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `documents` ADD `report_template` integer REFERENCES report_templates(id);--> statement-breakpoint
ALTER TABLE `documents` ADD `report_validation_time` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `report_signing_time` text;