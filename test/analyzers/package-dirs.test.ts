import { isInsideInstalledPackage } from '../../shared/analyzers/package-dirs';

describe('isInsideInstalledPackage', () => {
  describe('when the path lies in a directory of installed packages', () => {
    it.each([
      'app/node_modules/accepts/npm-shrinkwrap.json',
      'node_modules/x/package-lock.json',
      'usr/share/nodejs/lodash-cli/npm-shrinkwrap.json',
      'usr/lib/nodejs/sqlite3/package-lock.json',
      'usr/lib/aarch64-linux-gnu/nodejs/bufferutil/package-lock.json',
      'usr/lib/python3/dist-packages/notebook/static/package-lock.json',
      'opt/venv/lib/python3.12/site-packages/jupyterlab/staging/yarn.lock',
      'var/www/html/vendor/acme/widget/package-lock.json',
      'usr/local/bundle/gems/actioncable-7.1.3/package-lock.json',
      'var/lib/gems/3.1.0/gems/rails-7.1.3/package-lock.json',
      'usr/local/bundle/bundler/gems/rails-0123abc/package-lock.json',
    ])('%s is inside one', (path) => {
      expect(isInsideInstalledPackage(path)).toBe(true);
    });
  });

  describe('when the path is an application root', () => {
    it.each([
      'package-lock.json',
      'srv/app/package-lock.json',
      'usr/src/app/npm-shrinkwrap.json',
      'home/node/app/package-lock.json',
      'var/www/html/package-lock.json',
      'opt/gems-tool/package-lock.json',
      'opt/my_node_modules/package-lock.json',
      'usr/share/nodejs-app/package-lock.json',
    ])('%s is not', (path) => {
      expect(isInsideInstalledPackage(path)).toBe(false);
    });
  });
});
