CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`agency_id` text,
	`case_id` text,
	`document_id` text,
	`request_id` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_agency` ON `audit_events` (`agency_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_kind` ON `audit_events` (`kind`,`id`);--> statement-breakpoint
CREATE TABLE `case_events` (
	`agency_id` text NOT NULL,
	`case_id` text NOT NULL,
	`version` integer NOT NULL,
	`at` text NOT NULL,
	`event` text NOT NULL,
	PRIMARY KEY(`agency_id`, `case_id`, `version`),
	FOREIGN KEY (`agency_id`,`case_id`) REFERENCES `cases`(`agency_id`,`case_id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`agency_id` text NOT NULL,
	`case_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`state` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`agency_id`, `case_id`)
);
--> statement-breakpoint
CREATE INDEX `cases_agency_created` ON `cases` (`agency_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `cases_status_created` ON `cases` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`owner_agency` text NOT NULL,
	`document_id` text,
	`target` text NOT NULL,
	`payload` text,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_owner` ON `deliveries` (`owner_agency`,`created_at`);--> statement-breakpoint
CREATE TABLE `documents` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_agency` text NOT NULL,
	`direction` text NOT NULL,
	`document_id` text NOT NULL,
	`type` text NOT NULL,
	`case_id` text NOT NULL,
	`from_agency` text NOT NULL,
	`to_agency` text NOT NULL,
	`reply_to` text,
	`canonical` blob NOT NULL,
	`seal` blob NOT NULL,
	`document_sha256` text NOT NULL,
	`seal_sha256` text NOT NULL,
	`report` text,
	`recorded_at` text NOT NULL,
	`state` text NOT NULL,
	`receipt` text,
	`business_receipt_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_key` ON `documents` (`owner_agency`,`direction`,`from_agency`,`document_id`);--> statement-breakpoint
CREATE INDEX `documents_inbox` ON `documents` (`owner_agency`,`direction`,`seq`);--> statement-breakpoint
CREATE INDEX `documents_case` ON `documents` (`owner_agency`,`case_id`);--> statement-breakpoint
CREATE INDEX `documents_sender` ON `documents` (`from_agency`,`document_id`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`token_id` text NOT NULL,
	`role` text NOT NULL,
	`agency_id` text,
	`label` text NOT NULL,
	`created_at` text NOT NULL
);
