// A live running total on a budget ballot: the cost of the ticked projects (knapsack ballots),
// or the points left (cumulative ballots). The ballot works without it: the review page
// shows the same total, worked out on the server.
;(function () {
  const fill = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all })
  }
  const total = document.getElementById('running-total')
  if (total) {
    const budget = Number(total.dataset.budget)
    const currency = total.dataset.currency
    const symbol = { GBP: '£', EUR: '€', USD: '$' }[currency]
    const money = function (amount) {
      const text = amount.toLocaleString('en-GB')
      return symbol ? symbol + text : text + ' ' + currency
    }
    const boxes = document.querySelectorAll('input[type=checkbox][data-cost]')
    const update = function () {
      let sum = 0
      boxes.forEach(function (box) { if (box.checked) sum += Number(box.dataset.cost) })
      const left = budget - sum
      const values = { sum: money(sum), budget: money(budget), left: money(left), over: money(-left) }
      total.textContent = fill(left >= 0 ? total.dataset.textWithin : total.dataset.textOver, values)
    }
    boxes.forEach(function (box) { box.addEventListener('change', update) })
    update()
  }
  const left = document.getElementById('points-left')
  if (left) {
    const points = Number(left.dataset.pointsTotal)
    const inputs = document.querySelectorAll('input[data-points]')
    const update = function () {
      let given = 0
      inputs.forEach(function (input) {
        const value = parseInt(input.value, 10)
        if (!isNaN(value) && value > 0) given += value
      })
      const values = { given: given, points: points, left: points - given, over: given - points }
      left.textContent = fill(given <= points ? left.dataset.textWithin : left.dataset.textOver, values)
    }
    inputs.forEach(function (input) { input.addEventListener('input', update) })
    update()
  }
})()
