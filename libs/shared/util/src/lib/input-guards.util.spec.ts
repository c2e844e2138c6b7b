import { requireArray, requireFinite, requireInteger, requireNonEmptyString, requirePositive, requireRecord } from './input-guards.util';
import { InvalidInputError } from './invalid-input.exception';

class CustomError extends Error {}
const custom = (message: string): Error => new CustomError(message);

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('input guards', () => {
  it('return valid values unchanged', () => {
    expect(requireFinite('x', -2.5)).toBe(-2.5);
    expect(requireInteger('n', 3, 3)).toBe(3);
    expect(requirePositive('p', 0.1)).toBe(0.1);
    expect(requireNonEmptyString('s', ' a ')).toBe(' a ');
    const record = { a: 1 };
    expect(requireRecord('r', record)).toBe(record);
    const list = [1, 2];
    expect(requireArray('l', list, 2)).toBe(list);
  });

  it('throw InvalidInputError with a message naming the value by default', () => {
    const error = thrown(() => requireFinite('delay', Number.NaN));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', name: 'InvalidInputError', message: 'delay must be a finite number, got NaN' });
  });

  it.each([
    ['finite', () => requireFinite('x', '1'), 'x must be a finite number, got 1'],
    ['finite', () => requireFinite('x', Infinity), 'x must be a finite number, got Infinity'],
    ['integer', () => requireInteger('n', 1.5, 0), 'n must be an integer >= 0, got 1.5'],
    ['integer min', () => requireInteger('n', 2, 3), 'n must be an integer >= 3, got 2'],
    ['integer type', () => requireInteger('n', null, 0), 'n must be a finite number, got null'],
    ['positive', () => requirePositive('p', 0), 'p must be a positive finite number, got 0'],
    ['positive type', () => requirePositive('p', undefined), 'p must be a positive finite number, got undefined'],
    ['string', () => requireNonEmptyString('s', '  '), 's must be a non-empty string'],
    ['string type', () => requireNonEmptyString('s', 7), 's must be a non-empty string'],
    ['record null', () => requireRecord('r', null), 'r must be an object'],
    ['record array', () => requireRecord('r', []), 'r must be an object'],
    ['array type', () => requireArray('l', {}, 3), 'l must be an array of at most 3 entries'],
    ['array length', () => requireArray('l', [1, 2, 3, 4], 3), 'l must be an array of at most 3 entries'],
  ])('refuse bad input (%s)', (_case, run, message) => {
    expect(thrown(run)).toMatchObject({ message });
  });

  it('throw the caller-built error when given one', () => {
    const error = thrown(() => requireInteger('n', -1, 0, custom));
    expect(error).toBeInstanceOf(CustomError);
    expect((error as Error).message).toBe('n must be an integer >= 0, got -1');
    expect(thrown(() => requireRecord('state', 'x', custom))).toBeInstanceOf(CustomError);
  });
});
