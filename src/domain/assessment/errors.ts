import { CodedError } from "../errors.ts";

export type AssessmentErrorCode = "ASSESSMENT_INPUT_INVALID";

/** Assessment input that cannot be judged; `details.problems` lists `{ path, message }` (JSON pointers). */
export class AssessmentError extends CodedError<AssessmentErrorCode> {}
