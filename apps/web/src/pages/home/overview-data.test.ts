import { describe, expect, it } from 'vitest';
import { anonymousViewer, type Viewer } from '../../navigation';
import type { WebModule } from '../../web-module';
import { webModules } from '../index';
import { homeCards, overviewCards } from './overview-data';

describe('home cards', () => {
  it('shows each role the cards of the modules it may use', () => {
    const ids = (viewer: Viewer) => overviewCards(webModules, viewer).map((card) => card.id);
    expect(ids({ ...anonymousViewer, authenticated: true })).toEqual(['scans', 'accounts']);
    // The generic admin is for staff too (the API decides which of its lists each may open).
    expect(ids({ authenticated: true, staff: true, admin: false })).toEqual([
      'jobs',
      'crm',
      'newsletter',
      'scans',
      'accounts',
      'admin',
    ]);
    expect(ids({ authenticated: true, staff: true, admin: true })).toEqual([
      'jobs',
      'crm',
      'newsletter',
      'scans',
      'accounts',
      'admin',
    ]);
  });

  it('takes the cards from the module list only: a module without cards adds none', () => {
    const card = webModules.flatMap((module) => module.home ?? [])[0]!;
    const extra: WebModule = { name: 'extra', routes: [], home: [{ ...card, id: 'extra' }] };
    const bare: WebModule = { name: 'bare', routes: [] };
    expect(homeCards([bare])).toEqual([]);
    expect(homeCards([...webModules, extra]).map((c) => c.id)).toContain('extra');
  });

  it('gives every card a unique id and links into the app', () => {
    const cards = homeCards(webModules);
    expect(new Set(cards.map((c) => c.id)).size).toBe(cards.length);
    for (const card of cards) expect(card.links.length).toBeGreaterThan(0);
  });
});
