import { describe, expect, it } from 'vitest';
import { groupsInTurn, shardCount } from './members';

describe('groupsInTurn: the groups threads take in turn', () => {
  it('are the static split in groups of groupSize, ordered by their first member', () => {
    const split = [
      [0, 2, 4, 6, 8, 10, 12],
      [1, 3, 5, 7, 9, 11],
    ];
    expect(groupsInTurn(split, 3)).toEqual([[0, 2, 4], [1, 3, 5], [6, 8, 10], [7, 9, 11], [12]]);
  });

  it('without a groupSize are one group per share; every member is in exactly one group', () => {
    expect(groupsInTurn([[0, 2], [1]], undefined)).toEqual([[0, 2], [1]]);
    const members = 23;
    const shards = shardCount(members, 2);
    const split = Array.from({ length: shards }, (_, s) => [...Array(members).keys()].filter((m) => m % shards === s));
    const groups = groupsInTurn(split, 5);
    expect(groups.flat().sort((a, b) => a - b)).toEqual([...Array(members).keys()]);
    expect(Math.max(...groups.map((group) => group.length))).toBeLessThanOrEqual(5);
  });
});
