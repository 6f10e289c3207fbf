// omega-webhooks for Node, ESM entry point: the CommonJS module's exports.
import cjs from './index.js';

export const {
  Client,
  parseEvent,
  OmegaError,
  ConfigurationError,
  APIConnectionError,
  APITimeoutError,
  APIStatusError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIResponseValidationError,
  WebhookPayloadError,
} = cjs;
export default cjs;
