import type { ChartConfiguration } from 'chart.js';
import { formatDay } from '../../lib/dates';
import type { GradeHistory } from './scans-api';

/** The Observatory and extra-checks scores of a target's scans over time, for AppChart. */
export function gradeChart(points: GradeHistory): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      labels: points.map((point) => formatDay(point.at)),
      datasets: [
        {
          label: 'Observatory score',
          data: points.map((point) => point.score),
          borderColor: '#2563eb',
          backgroundColor: '#2563eb',
          tension: 0.2,
        },
        {
          label: 'Extra checks score',
          data: points.map((point) => point.extraScore),
          borderColor: '#d97706',
          backgroundColor: '#d97706',
          borderDash: [4, 3],
          tension: 0.2,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      spanGaps: true,
      scales: {
        // Flat labels, fewer of them: rotated dates were cut off on phones.
        x: {
          ticks: { maxTicksLimit: 6, maxRotation: 0, autoSkip: true },
          grid: { display: false },
        },
        y: { beginAtZero: true, suggestedMax: 100 },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}
