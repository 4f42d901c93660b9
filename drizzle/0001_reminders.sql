CREATE TABLE `reminders` (
	`agency_id` text NOT NULL,
	`case_id` text NOT NULL,
	`step` text NOT NULL,
	`kind` text NOT NULL,
	`due` text NOT NULL,
	`sent_at` text NOT NULL,
	PRIMARY KEY(`agency_id`, `case_id`, `step`, `kind`, `due`)
);
