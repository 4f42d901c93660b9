ALTER TABLE `cases` ADD `person_id` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `voucher_id` text;--> statement-breakpoint
CREATE INDEX `cases_person` ON `cases` (`person_id`);--> statement-breakpoint
CREATE INDEX `cases_voucher` ON `cases` (`voucher_id`);--> statement-breakpoint
CREATE INDEX `cases_case_id` ON `cases` (`case_id`);--> statement-breakpoint
CREATE INDEX `documents_sha256` ON `documents` (`document_sha256`);--> statement-breakpoint
-- Hand-added (issue 13): copy the person's ID number and the voucher id of existing cases.
UPDATE `cases` SET `person_id` = upper(json_extract(`state`, '$.person.idNumber')), `voucher_id` = json_extract(`state`, '$.voucher.id');
