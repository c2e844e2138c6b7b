import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

export interface FieldError {
  /** Dotted path of the field, e.g. "stake.amount". */
  readonly field: string;
  readonly errors: readonly string[];
}

/** whitelist + forbidNonWhitelisted: unknown fields are rejected, and every bad field is named. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      return new BadRequestException({
        message: `Validation failed: ${details.map((detail) => detail.field).join(', ')}`,
        details,
      });
    },
  });
}

export function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    const nested = flattenValidationErrors(error.children ?? [], field);
    return own.length > 0 ? [{ field, errors: own }, ...nested] : nested;
  });
}
