import { Box, type Key, useInput } from 'ink';
import { useCallback, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import { EMPTY_MODEL } from '../model/index.js';
import { COMMANDS } from './commands.js';
import { Body } from './components/body.js';
import { Footer } from './components/footer.js';
import { Header } from './components/header.js';
import { Help } from './components/help.js';
import { MIN_COLUMNS, MIN_ROWS, TooSmall } from './components/too-small.js';
import { lookup } from './keymap.js';
import { keyName, splitKeys } from './keys.js';
import { INITIAL_NAV, type NavAction, type NavState, navReducer } from './navigation.js';
import { sanitize } from './sanitize.js';
import { buildScreen, FOOTER_LINES, HEADER_LINES, type Screen } from './screen.js';
import type { UiStore } from './store.js';
import { useTheme } from './theme.js';

export interface AppProps {
  readonly store: UiStore;
  /** Terminal size; the frame is drawn one line shorter than `rows`. */
  readonly columns: number;
  readonly rows: number;
  readonly onQuit: () => void;
  /** Start somewhere other than the overview (tests, screenshots). */
  readonly initialNav?: NavState;
  /** Draw nothing (while a resize settles) but keep all state. */
  readonly blank?: boolean;
}

/** The root component: reads the store, keeps navigation in a reducer, maps keys to actions. */
export function App({ store, columns, rows, onQuit, initialNav, blank = false }: AppProps) {
  const theme = useTheme();
  const ui = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [nav, dispatch] = useReducer(navReducer, initialNav ?? INITIAL_NAV);
  const model = nav.frozen ?? ui.model ?? EMPTY_MODEL;
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const replay = store.replay !== null;
  const screen: Screen | null = useMemo(
    () => (tooSmall ? null : buildScreen(model, nav, theme.glyphs, columns, rows, replay)),
    [tooSmall, model, nav, theme.glyphs, columns, rows, replay],
  );

  // The handler reads the latest state through a ref, so Ink subscribes it only once. Actions are also
  // applied to the ref at once, so the keys of a burst ("g\r") each see the state the previous left.
  const latest = useRef({ nav, screen, ui, model });
  latest.current = { nav, screen, ui, model };
  const geometry = useRef({ columns, rows, glyphs: theme.glyphs, replay, tooSmall });
  geometry.current = { columns, rows, glyphs: theme.glyphs, replay, tooSmall };

  const handleKey = useCallback(
    (input: string, key: Key) => {
      const { nav, screen, ui, model } = latest.current;
      const name = keyName(input, key);
      const act = (action: NavAction) => {
        dispatch(action);
        const g = geometry.current;
        const next = navReducer(latest.current.nav, action);
        const nextModel = next.frozen ?? latest.current.ui.model ?? EMPTY_MODEL;
        latest.current = {
          ...latest.current,
          nav: next,
          model: nextModel,
          screen: g.tooSmall ? null : buildScreen(nextModel, next, g.glyphs, g.columns, g.rows, g.replay),
        };
      };
      if (name === 'ctrl+c') return onQuit();
      if (!screen) {
        if (name === 'q') onQuit();
        return;
      }
      if (nav.editingFilter) {
        if (name === 'escape') act({ type: 'filterClear' });
        else if (name === 'enter') act({ type: 'filterDone' });
        else if (name === 'backspace') act({ type: 'filterBackspace' });
        else if (!key.ctrl && !key.meta && input.length > 0) {
          const text = sanitize(input);
          if (text) act({ type: 'filterInput', text });
        }
        return;
      }
      const binding = lookup(name, screen.keyContext);
      if (binding) COMMANDS[binding.command]({ key: name, nav, screen, model, ui, store, act, quit: onQuit });
    },
    [onQuit, store],
  );
  const handleInput = useCallback(
    (input: string, key: Key) => {
      for (const [i, k] of splitKeys(input, key)) handleKey(i, k);
    },
    [handleKey],
  );
  useInput(handleInput);

  if (blank) return null;
  if (!screen) return <TooSmall columns={columns} rows={rows} />;
  const frameHeight = rows - 1;
  const focusedList = screen.focused?.list;
  // Boxes clip vertically only: every line is already cut to its width (wrap="truncate", cells fitted),
  // and a horizontal clip makes Ink slice every line of every frame again.
  return (
    <Box flexDirection="column" width={columns} height={frameHeight} overflowY="hidden">
      <Header model={model} ui={ui} clock={store.clock} frozen={nav.frozen !== null} width={columns} />
      {nav.help ? (
        <Help context={screen.keyContext} width={columns} height={screen.bodyHeight} />
      ) : (
        <Body body={screen.body} width={columns} height={screen.bodyHeight} focus={nav.focus} />
      )}
      <Box height={FOOTER_LINES} width={columns} overflowY="hidden">
        <Footer
          context={screen.keyContext}
          width={columns}
          filter={focusedList?.filter ?? ''}
          editingFilter={nav.editingFilter}
        />
      </Box>
    </Box>
  );
}

export { HEADER_LINES };
