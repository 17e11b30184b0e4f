// What a recipe names that stock cannot answer, judged when orders publishes the recipe rather than at the first
// sale: an ingredient with no stock item, a quantity in a unit that does not convert for the ingredient's item.
// Both land in the depletion issues the manager reads (GET …/inventory/depletion-issues), beside what sales found.
import type { MenuRecipe } from './auto-86-rules';
import { InexactQuantityError, toBaseQuantity, UnitConversionError, type ItemUnits } from './units';

export interface RecipeProblems {
  unknownIngredients: string[];
  unconvertible: Array<{ ingredientId: string; unit: string; message: string }>;
}

export function recipeProblems(recipe: MenuRecipe['recipe'], items: ReadonlyMap<string, ItemUnits>): RecipeProblems {
  const problems: RecipeProblems = { unknownIngredients: [], unconvertible: [] };
  for (const { ingredientId, quantity, unit } of recipe) {
    const item = items.get(ingredientId);
    if (!item) {
      if (!problems.unknownIngredients.includes(ingredientId)) problems.unknownIngredients.push(ingredientId);
      continue;
    }
    try {
      toBaseQuantity(item, quantity, unit);
    } catch (error) {
      if (!(error instanceof UnitConversionError || error instanceof InexactQuantityError)) throw error;
      if (!problems.unconvertible.some((u) => u.ingredientId === ingredientId && u.unit === unit)) problems.unconvertible.push({ ingredientId, unit, message: error.message });
    }
  }
  return problems;
}
