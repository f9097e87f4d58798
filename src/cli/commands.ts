// Each module's CLI commands register themselves on import; add one import line per module here.
import '../accounts/cli.ts';
import '../catalog/cli.ts';
export {};
