/// <reference lib="dom" />
import { drawSeven, openExperiment, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/**
 * Issue 19, "use the net you trained": a run of Fig. 6-9 keeps its four nets; its page in History shows
 * what each learned, reads a digit drawn on the pad with every net, exports a net as NumPy's .npz, and
 * imports such a file back for the pad to ask too.
 */

test('a run keeps its nets: what they learned, a drawn 7 they read, an .npz for NumPy and back', async ({
  lab,
}, testInfo) => {
  const { page } = lab;
  await openExperiment(page, 'optimizers-mnist', { iterations: '300' });
  const started = Date.now();
  await runToCompletion(page, 90_000);
  const seconds = (Date.now() - started) / 1000;
  testInfo.annotations.push({ type: 'measured', description: `300 iterations of four nets in ${seconds} s` });

  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  const learned = page.getByTestId('what-it-learned');
  await expect(learned).toBeVisible();
  const picker = learned.getByTestId('net-select');
  await expect(picker.locator('option')).toHaveText(['SGD', 'Momentum', 'AdaGrad', 'Adam']);

  await picker.selectOption({ label: 'Adam' });
  const accuracy = Number(await learned.getByTestId('net-accuracy').getAttribute('data-value'));
  expect(accuracy).toBeGreaterThan(0.5);
  await expect(learned.getByTestId('confusion-matrix').locator('tbody tr')).toHaveCount(10);
  await expect(learned.getByTestId('confusion-matrix').locator('tbody td.hit')).toHaveCount(10);
  await expect(learned.getByTestId('wrong-digits').locator('li canvas[role="img"]')).not.toHaveCount(0);
  await expect(learned.getByTestId('wrong-digits')).toContainText(/true \d → predicted \d\s\(\d+%\)/);
  await expect(learned.getByTestId('first-layer-weights').locator('canvas')).toHaveCount(16);

  // A 7 drawn with the mouse: the nets see it prepared like MNIST, and most of them read a 7.
  await drawSeven(page);
  const tops = learned.locator('[data-testid^="digit-top-"]');
  await expect(tops).toHaveCount(4);
  const answers = (await tops.allInnerTexts()).map((text) => text.trim());
  testInfo.annotations.push({ type: 'answers', description: answers.join(' ') });
  expect(
    answers.filter((answer) => answer === '7').length,
    `the nets answered ${answers.join(', ')}`,
  ).toBeGreaterThanOrEqual(3);
  // How to load it in the book's code, with the file's name.
  await learned.getByTestId('npz-help').locator('summary').click();
  await expect(learned.getByTestId('npz-help').locator('code')).toContainText(
    "f = np.load('optimizers-mnist-Adam.npz')",
  );
  console.log(
    `[${testInfo.project.name}] run of 300 iterations: ${seconds} s; the nets read the 7 as ${answers.join(', ')}`,
  );
  await learned.scrollIntoViewIfNeeded();
  await learned.screenshot({ path: testInfo.outputPath('what-it-learned.png') });

  // The chosen net as an .npz: a zip (stored .npy files) named after the experiment and the net.
  const npz = await lab.exportFile('export-npz');
  expect(npz.name).toBe('optimizers-mnist-Adam.npz');
  expect(npz.content.subarray(0, 2).toString('latin1')).toBe('PK');
  expect(npz.content.includes(Buffer.from('W1.npy'))).toBe(true);

  await learned.getByTestId('digit-clear').click();
  await expect(tops).toHaveCount(0);

  await test.step('the .npz imported back reads the 7 as Adam does; a file that is no .npz is refused', async () => {
    const importer = learned.getByTestId('npz-import');
    const input = importer.getByTestId('import-npz');
    await expect(importer.getByLabel('Import a .npz')).toHaveAttribute('data-testid', 'import-npz');
    await input.setInputFiles({ name: npz.name, mimeType: 'application/octet-stream', buffer: npz.content });
    await expect(importer.getByTestId('imported-net')).toHaveCount(1);
    await expect(importer.getByTestId('imported-net')).toContainText(
      /^optimizers-mnist-Adam\.npz: 784 → (\d+ → )+10, ReLU, dropout 0/,
    );
    await drawSeven(page);
    await expect(tops).toHaveCount(5);
    await expect(learned.getByTestId('digit-answers').locator('tbody th').nth(4)).toHaveText(npz.name);
    await expect(learned.getByTestId('digit-top-4')).toHaveText('7');
    await expect(learned.getByTestId('digit-top-3')).toHaveText('7');

    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a zip') });
    await expect(importer.getByTestId('import-npz-error')).toHaveText(
      'Could not import notes.txt: This is not an .npz file (not a zip archive).',
    );
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(importer.getByTestId('imported-net')).toHaveCount(1);
  });
});
