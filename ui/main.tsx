import { createRoot } from 'react-dom/client';
import { componentDefs } from '../engine/index.ts';

function App() {
  return (
    <main style={{ fontFamily: 'system-ui', padding: 24 }}>
      <h1>archsim</h1>
      <p>The browser app is being built. Components available to the engine:</p>
      <ul>
        {componentDefs().map((d) => (
          <li key={d.type}>
            <b>{d.title}</b>: {d.description}
          </li>
        ))}
      </ul>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
