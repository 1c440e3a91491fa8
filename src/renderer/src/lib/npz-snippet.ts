import type { TrainedNet } from '../../../shared/trained-nets';

/**
 * The book's Python that loads a kept net's .npz into its MultiLayerNetExtend (ch06, common/). The
 * arrays are copied into the net's own ([...] = ): its Affine and BatchNorm layers hold references to
 * them, so assigning new arrays to net.params would leave the layers on the old ones. The running
 * statistics are plain attributes of the BatchNorm layers.
 */
export function npzSnippet(net: Omit<TrainedNet, 'arrays' | 'report'>, fileName: string): string {
  const options = [
    'input_size=784',
    `hidden_size_list=[${net.hidden.join(', ')}]`,
    'output_size=10',
    `activation='${net.activation}'`,
    ...(net.batchNorm ? ['use_batchnorm=True'] : []),
    ...(net.dropoutRatio > 0 ? [`use_dropout=True, dropout_ration=${net.dropoutRatio}`] : []),
  ];
  const lines = [
    'import numpy as np',
    'from common.multi_layer_net_extend import MultiLayerNetExtend',
    `net = MultiLayerNetExtend(${options.join(', ')})`,
    `f = np.load('${fileName}')`,
    'for key in net.params: net.params[key][...] = f[key]',
  ];
  if (net.batchNorm)
    lines.push(
      `for i in range(1, ${net.hidden.length + 1}):`,
      "    bn = net.layers['BatchNorm%d' % i]",
      "    bn.running_mean, bn.running_var = f['running_mean%d' % i], f['running_var%d' % i]",
    );
  lines.push('y = net.predict(x_test, train_flg=False)');
  return lines.join('\n');
}
