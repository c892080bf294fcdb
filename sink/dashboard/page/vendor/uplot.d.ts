// The page imports uPlot as ./vendor/uplot.js, which the sink serves from the installed package's ESM build;
// its types come from the package.
import uPlot from 'uplot';
export default uPlot;
