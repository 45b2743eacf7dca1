import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateItemDto, NAME_PATTERN, NO_NUL_PATTERN } from './create-item.dto';

// The patterns are what OpenAPI tells clients; the validators are what the service does.
const refusedFields = (body: object) =>
  validateSync(plainToInstance(CreateItemDto, { price: '1', ...body })).map((error) => error.property);

describe('CreateItemDto as documented', () => {
  const names = ['Cup', ' cup ', 'é', 'a\u0000b', ' ', '\t\n', '', 'x'.repeat(200), '\u0000 x'];

  it.each(names)('accepts the name %j exactly when its pattern and lengths do', (name) => {
    const documented = new RegExp(NAME_PATTERN).test(name) && name.length >= 1 && name.length <= 200;
    expect(!refusedFields({ name }).includes('name')).toBe(documented);
  });

  it.each(['', 'Porcelain, 80 ml.', 'a\u0000', '\u0000'])(
    'accepts the description %j exactly when its pattern does',
    (description) => {
      const documented = new RegExp(NO_NUL_PATTERN).test(description);
      expect(!refusedFields({ name: 'Cup', description }).includes('description')).toBe(documented);
    },
  );
});
