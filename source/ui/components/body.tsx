import { Box, Text } from 'ink';
import { displayWidth, sanitize, truncate } from '../sanitize.js';
import type { BodyView, ListView, PaneView } from '../screen.js';
import { toneColor, useTheme } from '../theme.js';
import { Chart } from './chart.js';
import { FactsLine } from './facts.js';
import { Table } from './table.js';

function ListTable({
  list,
  width,
  height,
  focused,
}: {
  list: ListView;
  width: number;
  height: number;
  focused: boolean;
}) {
  return (
    <Table
      table={list.table}
      rows={list.rows}
      width={width}
      height={height}
      selected={list.selected}
      offset={list.offset}
      focused={focused}
      sort={list.list.sort}
      empty={list.list.filter ? `no rows match "${list.list.filter}"` : list.empty}
    />
  );
}

function Pane({ pane, focused }: { pane: PaneView; focused: boolean }) {
  const theme = useTheme();
  const g = theme.glyphs;
  const { list } = pane;
  const position =
    list.rows.length > list.pageSize
      ? ` ${list.offset + 1}-${Math.min(list.rows.length, list.offset + list.pageSize)}/${list.rows.length}`
      : '';
  const filter = list.list.filter ? ` filter "${list.list.filter}"` : '';
  const title = truncate(
    `${focused ? g.cursor : ' '} ${pane.number} ${pane.title}${position}${filter}`,
    pane.width,
    g.ellipsis,
  );
  // Cut here rather than letting Ink cut: Ink's ellipsis is always Unicode, even with --ascii.
  const summary = truncate(`  ${pane.summary}`, Math.max(0, pane.width - displayWidth(title)), g.ellipsis);
  return (
    <Box flexDirection="column" width={pane.width} height={pane.height} overflowY="hidden">
      <Text wrap="truncate">
        <Text bold inverse={focused} color={toneColor(theme, 'accent')}>
          {title}
        </Text>
        <Text color={toneColor(theme, 'muted')}>{summary}</Text>
      </Text>
      <ListTable list={list} width={pane.width} height={pane.height - 1} focused={focused} />
    </Box>
  );
}

function Separator({ height }: { height: number }) {
  const theme = useTheme();
  const bar = theme.glyphs.ascii ? '|' : '│';
  return (
    <Box flexDirection="column" width={1} height={height} overflowY="hidden">
      <Text color={toneColor(theme, 'muted')}>{Array.from({ length: height }, () => bar).join('\n')}</Text>
    </Box>
  );
}

export interface BodyProps {
  readonly body: BodyView;
  readonly width: number;
  readonly height: number;
  readonly focus: string;
}

export function Body({ body, width, height, focus }: BodyProps) {
  const theme = useTheme();
  if (body.kind === 'overview') {
    const panes = body.panes;
    if (body.grid) {
      // Two panes a row, in registry order (screen.ts sized them so).
      const rows: PaneView[][] = [];
      for (let i = 0; i < panes.length; i += 2) rows.push(panes.slice(i, i + 2));
      return (
        <Box flexDirection="column" width={width} height={height} overflowY="hidden">
          {rows.map(([left, right]) => (
            <Box key={left!.id} flexDirection="row" height={left!.height}>
              <Pane pane={left!} focused={focus === left!.id} />
              {right ? <Separator height={left!.height} /> : null}
              {right ? <Pane pane={right} focused={focus === right.id} /> : null}
            </Box>
          ))}
        </Box>
      );
    }
    return (
      <Box flexDirection="column" width={width} height={height} overflowY="hidden">
        {panes.map((p) => (
          <Pane key={p.id} pane={p} focused={focus === p.id} />
        ))}
      </Box>
    );
  }
  const crumbs = body.breadcrumb.map((c) => sanitize(c)).join(theme.glyphs.separator);
  let used = 1 + body.facts.length;
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate" color={toneColor(theme, 'accent')}>
        {truncate(crumbs, width, theme.glyphs.ellipsis)}
      </Text>
      {body.missing ? (
        <Text color={toneColor(theme, 'warn')} wrap="truncate">
          {`${theme.glyphs.warn} ${truncate(sanitize(body.missing), width - 2, theme.glyphs.ellipsis)} (esc goes back)`}
        </Text>
      ) : null}
      {body.facts.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fact lines are positional
        <FactsLine key={i} facts={f} width={width} />
      ))}
      {body.charts.map((c) => {
        used += c.height;
        return (
          <Chart
            key={c.title}
            title={c.title}
            series={c.series}
            legend={c.legend}
            times={c.times}
            width={width}
            height={c.height}
          />
        );
      })}
      {body.list ? (
        <ListTable list={body.list} width={width} height={Math.max(1, height - used)} focused />
      ) : null}
    </Box>
  );
}
