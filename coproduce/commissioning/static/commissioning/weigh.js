// A live "Points left" while a resident weighs a round's criteria. The page works without it:
// it says "Share out exactly 100 points", and the server checks the total when they save.
;(function () {
  const left = document.getElementById('points-left')
  if (!left) return
  const fill = function (text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all })
  }
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
})()
