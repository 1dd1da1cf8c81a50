import type { VNode } from 'preact';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';

/** The public personal-data notice (PIPL art. 17): what, why, masking, export, erasure, contact. */
function NoticePage() {
  const { t, orgName } = usePage();
  const p = t.privacy;
  return (
    <Layout title={p.noticeTitle} description={p.noticeIntro}>
      <div class="xs-prose">
        <h1>{p.noticeTitle}</h1>
        <p class="xs-lead">{p.noticeIntro}</p>
        <h2>{p.noticeCollectH}</h2>
        <ul><li>{p.noticeCollect1}</li><li>{p.noticeCollect2}</li><li>{p.noticeCollect3}</li></ul>
        <h2>{p.noticeWhyH}</h2>
        <p>{p.noticeWhy}</p>
        <h2>{p.noticeMaskH}</h2>
        <p>{p.noticeMask}</p>
        <h2>{p.noticeExportH}</h2>
        <p>{p.noticeExport}</p>
        <p><a href="/account/data">{p.seeMyData}</a></p>
        <h2>{p.noticeEraseH}</h2>
        <p>{p.noticeErase}</p>
        <h2>{p.noticeKeepH}</h2>
        <p>{p.noticeKeep}</p>
        <h2>{p.noticeContactH}</h2>
        <p>{p.noticeContact(orgName)}</p>
      </div>
    </Layout>
  );
}

export const noticePage = (): VNode => <NoticePage />;
