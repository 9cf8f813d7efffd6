import type { JobsOverview } from '@bastion/contract';
import type { ChartConfiguration } from 'chart.js';

type Throughput = JobsOverview['throughput'];

const minute = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** Completed and failed jobs per minute, stacked, for AppChart. */
export function throughputChart(points: Throughput): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: points.map((point) => minute(point.minute)),
      datasets: [
        {
          label: 'Completed',
          data: points.map((point) => point.completed),
          backgroundColor: '#10b981',
          stack: 'jobs',
        },
        {
          label: 'Failed',
          data: points.map((point) => point.failed),
          backgroundColor: '#ef4444',
          stack: 'jobs',
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, ticks: { maxTicksLimit: 8 }, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}

export function throughputSummary(points: Throughput): string {
  const total = points.reduce((sum, point) => sum + point.completed + point.failed, 0);
  return `Jobs finished per minute over the last hour: ${total} in total`;
}
