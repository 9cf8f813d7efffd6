import { meetsRequirement, type Viewer } from '../../navigation';
import type { HomeCard, WebModule } from '../../web-module';

// The home page's cards come from the modules themselves (`home` in each page folder's
// index.ts): a module gets a card when it lands, and nothing unbuilt is ever shown.

/** Every module's cards, in the order of pages/index.ts. */
export function homeCards(modules: readonly WebModule[]): HomeCard[] {
  return modules.flatMap((module) => module.home ?? []);
}

/** The cards a signed-in viewer may use. */
export function overviewCards(modules: readonly WebModule[], viewer: Viewer): HomeCard[] {
  return homeCards(modules).filter((card) => meetsRequirement(card.requires, viewer));
}
