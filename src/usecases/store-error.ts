import { CodedError } from "../domain/errors.ts";
import type { StoreErrorCode } from "./ports.ts";

/**
 * A refused or failed `GatewayStore` operation. `VERSION_CONFLICT` and `DUPLICATE_DOCUMENT` mean the
 * whole batch was rejected and nothing of it was written: reload and retry, or answer the replay.
 */
export class StoreError extends CodedError<StoreErrorCode> {}
