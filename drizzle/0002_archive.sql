CREATE TABLE `archive_leaves` (
	`idx` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`owner_agency` text NOT NULL,
	`case_id` text NOT NULL,
	`document_id` text NOT NULL,
	`recorded_at` text NOT NULL,
	`entry` blob NOT NULL,
	`leaf_hash` blob NOT NULL
);
--> statement-breakpoint
CREATE INDEX `archive_leaves_case` ON `archive_leaves` (`owner_agency`,`case_id`);--> statement-breakpoint
CREATE INDEX `archive_leaves_hash` ON `archive_leaves` (`leaf_hash`);--> statement-breakpoint
CREATE TABLE `archive_nodes` (
	`level` integer NOT NULL,
	`idx` integer NOT NULL,
	`hash` blob NOT NULL,
	PRIMARY KEY(`level`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`size` integer PRIMARY KEY NOT NULL,
	`root_hex` text NOT NULL,
	`note` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `peer_checkpoints` (
	`origin` text NOT NULL,
	`size` integer NOT NULL,
	`root_hex` text NOT NULL,
	`note` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`origin`, `size`)
);
