// Copies the files tsc does not emit (node icons, codex JSON) next to the compiled nodes in dist/.
const { src, dest, task } = require('gulp');

task('build:assets', () =>
	src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	),
);
