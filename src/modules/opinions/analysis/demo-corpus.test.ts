import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CATEGORIES, DEMO_TOPICS, ROUTE_LABELS, TOPIC_CATEGORY, TOPIC_ROUTE, demoOpinions, generateOpinions,
} from './demo-corpus.js';

describe('demo opinion corpus', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(demoOpinions(300, 7), demoOpinions(300, 7));
    assert.deepEqual([...generateOpinions(300, 7)], demoOpinions(300, 7));
    const a = demoOpinions(50, 7).map((o) => o.text);
    const b = demoOpinions(50, 8).map((o) => o.text);
    assert.ok(a.filter((t, i) => t !== b[i]).length > 40);
  });

  it('has at least 25 topic families, each mapped to a category and a routing label', () => {
    assert.ok(DEMO_TOPICS.length >= 25);
    for (const t of DEMO_TOPICS) {
      assert.ok(t.key in TOPIC_CATEGORY && TOPIC_CATEGORY[t.key]! in CATEGORIES, t.key);
      assert.ok(TOPIC_ROUTE[t.key]! in ROUTE_LABELS, t.key);
      assert.ok(t.titles.length >= 4 && t.problems.length >= 4 && t.asks.length >= 4, t.key);
    }
  });

  it('fills every slot and uses every family', () => {
    const ops = demoOpinions(5000, 11);
    for (const o of ops) {
      assert.doesNotMatch(o.title + o.text, /[{}]/u);
      assert.ok(o.title.length > 0 && o.text.length > 5);
      assert.ok(o.category in CATEGORIES && o.label in ROUTE_LABELS);
    }
    assert.equal(new Set(ops.map((o) => o.topicKey)).size, DEMO_TOPICS.length);
  });

  it('labels 10–15% of opinions ambiguously, and most labels follow the topic', () => {
    const ops = demoOpinions(20000, 3);
    const ambiguous = ops.filter((o) => o.ambiguous).length / ops.length;
    assert.ok(ambiguous >= 0.1 && ambiguous <= 0.15, `ambiguous share ${ambiguous}`);
    const offTopic = ops.filter((o) => o.label !== TOPIC_ROUTE[o.topicKey]).length / ops.length;
    assert.ok(offTopic > 0.03 && offTopic < 0.12, `labels off the topic's route ${offTopic}`);
    assert.ok(ops.every((o) => o.ambiguous || o.label === TOPIC_ROUTE[o.topicKey]));
  });

  it('keeps held-out templates out of the "seen" set', () => {
    // The unseen ask of the parking family, with its slot-free prefix.
    const unseenAsk = '能否把小区旁边的闲置空地改成临时停车场';
    assert.ok(demoOpinions(3000, 5, 'unseen').some((o) => o.text.includes(unseenAsk)));
    assert.ok(!demoOpinions(3000, 5, 'seen').some((o) => o.text.includes(unseenAsk)));
    assert.ok(demoOpinions(3000, 5, 'all').some((o) => o.text.includes(unseenAsk)));
  });
});
