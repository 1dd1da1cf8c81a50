/** Polis open-data CSV: parsing, writing back, latest-vote rule, errors. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  PolisFormatError,
  computeOpinionGroups,
  deliberationInputFromPolis,
  latestVotes,
  parseCommentsCsv,
  parseParticipantsVotesCsv,
  parseSummaryCsv,
  parseVotesCsv,
  participantsVotesFromResult,
  summaryFromResult,
  summaryNumber,
  writeCommentsCsv,
  writeParticipantsVotesCsv,
  writeSummaryCsv,
  writeVotesCsv,
  type PolisComment,
} from '../../src/modules/deliberation/engine/index.js';

const ROOT = new URL('../fixtures/polis/', import.meta.url).pathname;
const read = (name: string, file: string) => readFileSync(join(ROOT, name, file), 'utf8');

describe('Polis CSV', () => {
  it('comments with quotes, commas and newlines survive parse → write → parse', () => {
    const comments = parseCommentsCsv(read('scoop-hivemind.ubi', 'comments.csv'));
    assert.equal(comments.length, 71);
    const multi = comments.find((c) => c.commentId === 70)!;
    assert.match(multi.body, /\n1\. Replace the jobseekers benefit/);
    assert.equal(multi.moderated, 1);
    assert.ok(comments.some((c) => c.body.includes('"') || c.body.includes(',')));
    assert.deepEqual(parseCommentsCsv(writeCommentsCsv(comments)), comments);
  });

  it('any comment text round-trips', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 8 }), (texts) => {
        const comments: PolisComment[] = texts.map((body, i) => ({ timestamp: 1500000000000 + i, datetime: 'x', commentId: i, authorId: 3, agrees: 1, disagrees: 0, moderated: 0, body }));
        assert.deepEqual(parseCommentsCsv(writeCommentsCsv(comments)), comments);
      }),
    );
  });

  it('votes.csv round-trips; the latest vote per (voter, comment) counts, a tie goes to the later line', () => {
    const text = read('brexit-consensus', 'votes.csv');
    const votes = parseVotesCsv(text);
    assert.deepEqual(parseVotesCsv(writeVotesCsv(votes)), votes);
    const csv = [
      'timestamp,datetime,comment-id,voter-id,vote',
      '300,a,1,7,1',
      '100,a,1,7,-1',
      '200,a,2,7,-1',
      '200,a,2,7,0',
      '150,a,1,8,1',
    ].join('\n');
    const latest = latestVotes(parseVotesCsv(csv));
    assert.deepEqual([...latest.participantIds], [7, 7, 8]);
    assert.deepEqual([...latest.statementIds], [1, 2, 1]);
    assert.deepEqual([...latest.values], [1, 0, 1]);
  });

  it('participants-votes.csv round-trips, and our own export has the same shape with our groups', () => {
    const text = read('15-per-hour-seattle', 'participants-votes.csv');
    const pv = parseParticipantsVotesCsv(text);
    assert.equal(pv.rows.length, 339);
    assert.deepEqual(parseParticipantsVotesCsv(writeParticipantsVotesCsv(pv)), pv);

    const comments = parseCommentsCsv(read('15-per-hour-seattle', 'comments.csv'));
    const votes = parseVotesCsv(read('15-per-hour-seattle', 'votes.csv'));
    const result = computeOpinionGroups(deliberationInputFromPolis(comments, votes));
    const ours = participantsVotesFromResult(result, latestVotes(votes), comments);
    assert.deepEqual(ours.commentIds, pv.commentIds);
    const byId = new Map(pv.rows.map((r) => [r.participant, r]));
    for (const row of ours.rows) {
      const theirs = byId.get(row.participant)!;
      // Same votes and counts as Polis exported; only the group column is ours.
      assert.deepEqual(row.votes, theirs.votes);
      assert.equal(row.nVotes, theirs.nVotes);
      assert.equal(row.nAgree, theirs.nAgree);
      assert.equal(row.nComments, theirs.nComments);
      assert.equal(row.groupId, result.groupByParticipant.get(row.participant) ?? null);
    }
    const summary = summaryFromResult(result, { topic: '$15/hour', url: 'https://example.org/x', views: 1, description: 'Line one,\n"two"' }, comments);
    const back = parseSummaryCsv(writeSummaryCsv(summary));
    assert.deepEqual(back, summary);
    assert.equal(summaryNumber(back, 'groups'), result.groups.length);
    assert.equal(summaryNumber(back, 'voters-in-conv'), result.counts.placed);
    assert.equal(summaryNumber(back, 'views'), 1);
    // Views not counted: no row rather than a 0 that claims nobody looked.
    const unknown = summaryFromResult(result, { topic: '$15/hour', url: 'https://example.org/x', views: null, description: '' }, comments);
    assert.deepEqual(unknown.map(([k]) => k), ['topic', 'url', 'voters', 'voters-in-conv', 'commenters', 'comments', 'groups', 'conversation-description']);
  });

  it('summary.csv keeps multi-line values', () => {
    const s = parseSummaryCsv(read('scoop-hivemind.ubi', 'summary.csv'));
    assert.equal(summaryNumber(s, 'voters'), 234);
    assert.match(s.find(([k]) => k === 'conversation-description')![1], /\n/);
  });

  it('says what is wrong as a code and its parameters, not as English text', () => {
    const problem = (f: () => unknown) => { try { f(); } catch (e) { assert.ok(e instanceof PolisFormatError); return e.problem; } assert.fail('no error'); };
    assert.deepEqual(problem(() => parseVotesCsv('timestamp,comment-id\n1,2\n')), { code: 'missingColumn', file: 'votes.csv', column: 'voter-id' });
    assert.deepEqual(problem(() => parseVotesCsv('timestamp,datetime,comment-id,voter-id,vote\n1,x,2,3,5')), { code: 'badVote', file: 'votes.csv', line: 2 });
    assert.deepEqual(problem(() => parseVotesCsv('timestamp,datetime,comment-id,voter-id,vote\n1,x,2,3,1\n1,x,abc,3,1')), { code: 'notInteger', file: 'votes.csv', line: 3, value: 'abc' });
    assert.deepEqual(problem(() => parseVotesCsv('timestamp,datetime,comment-id,voter-id,vote\n1,x,2,9999999999,1')), { code: 'idTooLarge', file: 'votes.csv', line: 2, value: '9999999999' });
    assert.deepEqual(problem(() => parseVotesCsv('timestamp,datetime,comment-id,voter-id,vote\n99999999999999999999,x,2,3,1')), { code: 'outOfRange', file: 'votes.csv', line: 2, value: '99999999999999999999' });
    assert.deepEqual(problem(() => parseCommentsCsv('timestamp,comment-id,moderated,comment-body\n1,2,7,hi')), { code: 'badModerated', file: 'comments.csv', line: 2 });
    assert.deepEqual(problem(() => parseCommentsCsv('timestamp,comment-id,moderated,comment-body\n1,2,1,"unterminated')), { code: 'unreadable', file: 'comments.csv', line: 2 });
    assert.deepEqual(problem(() => parseParticipantsVotesCsv('participant,group-id,n-comments,n-votes,n-agree,n-disagree,x\n')), { code: 'notInteger', file: 'participants-votes.csv', line: 1, value: 'x' });
    // The CLI still prints English.
    assert.throws(() => parseVotesCsv('timestamp,comment-id\n1,2\n'), { message: 'votes.csv: missing column "voter-id"' });
  });

  it('bad files raise PolisFormatError', () => {
    assert.throws(() => parseVotesCsv('timestamp,comment-id,voter-id\n1,2,3'), { name: 'PolisFormatError', message: /vote/ });
    assert.throws(() => parseVotesCsv('timestamp,datetime,comment-id,voter-id,vote\n1,x,2,3,5'), { name: 'PolisFormatError' });
    assert.throws(() => parseVotesCsv('timestamp,datetime,comment-id,voter-id,vote\n1,x,abc,3,1'), { name: 'PolisFormatError' });
    assert.throws(() => parseCommentsCsv('timestamp,comment-id,moderated,comment-body\n1,2,7,hi'), { name: 'PolisFormatError' });
    assert.throws(() => parseCommentsCsv('timestamp,comment-id,moderated,comment-body\n1,2,1,"unterminated'), { name: 'PolisFormatError' });
  });
});
