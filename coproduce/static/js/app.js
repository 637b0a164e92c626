// Start the GOV.UK Frontend components. Every page works without this script.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()

// After htmx swaps in a part of the page that asks for it (an answered inbox item, or its form
// with an error), move the focus there, so that keyboard and screen reader users hear what
// changed: to the first field in error, or else to the part itself.
document.addEventListener('htmx:afterSettle', () => {
  const part = document.querySelector('[data-focus-after-swap]')
  if (!part) return
  part.removeAttribute('data-focus-after-swap')
  const field = part.querySelector('.govuk-textarea--error, .govuk-input--error')
  ;(field || part).focus()
})
