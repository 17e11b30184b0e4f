// What a recipe names that stock cannot answer, judged when the recipe arrives: unknown ingredients (each once),
// units that do not convert for the ingredient's item, quantities below the scale; what converts is no problem.
import { recipeProblems } from '../../functions/inventory/recipe-issues';
import type { ItemUnits } from '../../functions/inventory/units';

const flour: ItemUnits = { itemId: 'flour', baseUnit: 'g', units: [{ name: 'bag', quantity: 1, unit: 'kg' }] };
const eggs: ItemUnits = { itemId: 'eggs', baseUnit: 'each', units: [{ name: 'tray', quantity: 30, unit: 'each' }] };
const items = new Map([
  ['flour', flour],
  ['eggs', eggs],
]);

describe('recipeProblems', () => {
  it('finds nothing in a recipe whose every line converts', () => {
    expect(recipeProblems([{ ingredientId: 'flour', quantity: 0.25, unit: 'kg' }, { ingredientId: 'eggs', quantity: 2, unit: 'each' }, { ingredientId: 'flour', quantity: 1, unit: 'bag' }], items)).toEqual({
      unknownIngredients: [],
      unconvertible: [],
    });
  });

  it('names an ingredient without a stock item once, however many lines use it', () => {
    const problems = recipeProblems([{ ingredientId: 'saffron', quantity: 0.2, unit: 'g' }, { ingredientId: 'saffron', quantity: 0.1, unit: 'g' }, { ingredientId: 'flour', quantity: 10, unit: 'g' }], items);
    expect(problems).toEqual({ unknownIngredients: ['saffron'], unconvertible: [] });
  });

  it('names a unit that does not convert for the item (grams of eggs), once per ingredient and unit', () => {
    const problems = recipeProblems([{ ingredientId: 'eggs', quantity: 50, unit: 'g' }, { ingredientId: 'eggs', quantity: 60, unit: 'g' }, { ingredientId: 'eggs', quantity: 1, unit: 'ml' }], items);
    expect(problems.unknownIngredients).toEqual([]);
    expect(problems.unconvertible.map(({ ingredientId, unit }) => `${ingredientId}:${unit}`)).toEqual(['eggs:g', 'eggs:ml']);
    expect(problems.unconvertible[0]!.message).toContain('eggs');
  });

  it('names a quantity too small to keep exactly in the base unit', () => {
    const problems = recipeProblems([{ ingredientId: 'eggs', quantity: 0.0001, unit: 'tray' }], items);
    expect(problems.unconvertible).toHaveLength(1);
  });
});
