import { SanitisedHtml } from '../components/raw-html.js';
import { TableScroll } from '../components/table-scroll.js';

export interface DataTable {
  caption: string;
  head: string[];
  /** The first cell of each row is its header (a body, a month). */
  rows: (string | number)[][];
}

/**
 * A server-drawn chart with its data as a table beside it (in a disclosure that opens
 * without JavaScript): the chart is an image named by its title, the table is the same
 * data for screen readers, keyboard users and anyone who wants the numbers.
 */
export function ChartFigure({ title, svg, table, tableToggle }: { title: string; svg: string; table: DataTable; tableToggle: string }) {
  return (
    <figure class="xs-chart">
      <figcaption class="xs-chart__title">{title}</figcaption>
      <SanitisedHtml html={svg} class="xs-chart__image" />
      <details class="xs-chart__data">
        <summary>{tableToggle}</summary>
        <DataTableView table={table} />
      </details>
    </figure>
  );
}

export function DataTableView({ table }: { table: DataTable }) {
  return (
    <TableScroll>
      <table class="xs-table">
        <caption class="xs-visually-hidden">{table.caption}</caption>
        <thead><tr>{table.head.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr></thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
