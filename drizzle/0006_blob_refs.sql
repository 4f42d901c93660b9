ALTER TABLE `documents` ADD `canonical_blob` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `seal_blob` text;